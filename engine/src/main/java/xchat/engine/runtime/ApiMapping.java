package xchat.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import xchat.engine.api.FileInfo;
import xchat.engine.api.Message;
import xchat.persistence.log.StoredMessage;
import xchat.protocol.event.Rumor;
import xchat.protocol.hex.Hex;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip17.FileMetadata;
import xchat.protocol.nip40.Expiration;

/** Turns stored records into API values. */
public final class ApiMapping {
  private ApiMapping() {}

  public static Message message(String circle, StoredMessage stored) {
    Rumor rumor = stored.rumor();
    List<String> recipients = new ArrayList<>();
    for (String p : rumor.event().tags().values("p")) {
      if (Hex.isLowerHex(p, 32) && !recipients.contains(p)) {
        recipients.add(p);
      }
    }
    OptionalLong expires = Expiration.of(rumor.event().tags());
    return new Message(
        rumor.id().hex(),
        circle,
        stored.conversation().hex(),
        rumor.event().pubkey().hex(),
        recipients,
        rumor.event().createdAt(),
        rumor.event().kind(),
        rumor.event().content(),
        expires == null ? OptionalLong.empty() : expires,
        ChatRumors.fileMetadata(rumor).map(ApiMapping::fileInfo));
  }

  /** The shareable part of a kind-15 file's metadata: everything but the key and nonce. */
  public static FileInfo fileInfo(FileMetadata file) {
    return new FileInfo(file.url(), file.mimeType(), file.encryptedSize(), file.encryptedSha256(),
        file.originalSha256(), file.fallbackUrls());
  }
}
