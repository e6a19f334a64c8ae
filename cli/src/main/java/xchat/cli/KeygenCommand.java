package xchat.cli;

import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip19.Nip19;
import xchat.protocol.nip19.Nsec;

@Command(name = "keygen", description = "Create a new identity: prints its nsec, then its npub.")
final class KeygenCommand implements Callable<Integer>, IoAware {
  @Option(names = "--hex", description = "Also print both keys as hex.")
  boolean hex;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    Secp256k1 curve = Secp256k1.defaultBackend();
    KeyPair keys = KeyPair.generate(new SecureRandom(), curve);
    byte[] secret = keys.secretKey().bytes();
    try {
      io.out().println(Nip19.encode(new Nsec(secret)));
    } finally {
      java.util.Arrays.fill(secret, (byte) 0);
    }
    io.out().println(Keys.npub(keys.publicKey()));
    if (hex) {
      io.out().println(keys.secretKey().hex());
      io.out().println(keys.publicKey().hex());
    }
    keys.secretKey().destroy();
    return 0;
  }
}
