package xchat.protocol.nip17;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.SecretKey;
import xchat.protocol.nip19.Nip19;
import xchat.protocol.nip19.Nsec;
import xchat.protocol.nip59.UnwrapResult;
import xchat.protocol.nip59.Unwrapper;
import xchat.protocol.testing.Resources;

/** The worked example at the end of NIP-17: one wrap to the receiver, one to the sender. */
class Nip17ExampleTest {
  static final Secp256k1 CURVE = Secp256k1.defaultBackend();

  @Test
  void bothExampleWrapsOpenForTheirOwnerWithTheSameRumor() throws Exception {
    KeyPair sender = keys("nsec1w8udu59ydjvedgs3yv5qccshcj8k05fh3l60k9x57asjrqdpa00qkmr89m");
    KeyPair receiver = keys("nsec12ywtkplvyq5t6twdqwwygavp5lm4fhuang89c943nf2z92eez43szvn4dt");
    List<String> lines = Resources.text("/nip17/example-wraps.jsonl").lines().toList();
    NostrEvent toReceiver = EventJson.parse(lines.get(0));
    NostrEvent toSender = EventJson.parse(lines.get(1));

    UnwrapResult.Unwrapped received = assertInstanceOf(UnwrapResult.Unwrapped.class,
        new Unwrapper(receiver, CURVE).unwrap(toReceiver));
    UnwrapResult.Unwrapped sent = assertInstanceOf(UnwrapResult.Unwrapped.class,
        new Unwrapper(sender, CURVE).unwrap(toSender));
    assertEquals("Hola, que tal?", received.rumor().event().content());
    assertEquals(14, received.rumor().event().kind());
    assertEquals(sender.publicKey(), received.sender());
    assertEquals(received.rumor(), sent.rumor());
    assertEquals(ChatRoom.of(received.rumor()).members(), java.util.Set.of(sender.publicKey(), receiver.publicKey()));
  }

  private static KeyPair keys(String nsec) throws Exception {
    return KeyPair.of(SecretKey.of(Nip19.decode(nsec, Nsec.class).secretKey(), CURVE), CURVE);
  }
}
