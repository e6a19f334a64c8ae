package xchat.cli;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip17.PrivateMessages;
import xchat.protocol.nip59.GiftWrap;

@Command(
    name = "wrap",
    description = "Wrap a NIP-17 chat message: prints one gift wrap per recipient and one to self, "
        + "as JSON lines.")
final class WrapCommand implements Callable<Integer>, IoAware {
  @Option(names = "--nsec", description = "Sender's secret key (nsec or hex); or --nsec-file, or $XCHAT_NSEC.")
  String nsec;

  @Option(names = "--nsec-file", description = "File holding the sender's secret key.")
  java.nio.file.Path nsecFile;

  @Option(names = "--to", required = true, description = "Recipients: npub or hex, comma-separated.")
  String to;

  @Option(names = "--subject", description = "Conversation subject.")
  String subject;

  @Option(names = "--expires-in", description = "Disappear after this many seconds (NIP-40).")
  Long expiresIn;

  @Parameters(index = "0", paramLabel = "TEXT", description = "The message.")
  String text;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (text.isEmpty()) {
      throw new UsageException("the message is empty");
    }
    Secp256k1 curve = Secp256k1.defaultBackend();
    KeyPair sender = Keys.secret(nsec, nsecFile, curve);
    long now = System.currentTimeMillis() / 1000;
    ChatRumors.Options options = new ChatRumors.Options(
        Optional.empty(),
        Optional.ofNullable(subject),
        expiresIn == null ? OptionalLong.empty() : OptionalLong.of(now + expiresIn));
    Rumor rumor = ChatRumors.chat(sender.publicKey(), Keys.publicKeys(to), text, now, options);
    GiftWrap giftWrap = new GiftWrap(curve, new SecureRandom(), () -> System.currentTimeMillis() / 1000);
    List<PrivateMessages.Copy> copies = PrivateMessages.wrapForRoom(rumor, sender, giftWrap);
    for (PrivateMessages.Copy copy : copies) {
      io.out().println(EventJson.toJson(copy.wrap()));
    }
    sender.secretKey().destroy();
    return 0;
  }
}
