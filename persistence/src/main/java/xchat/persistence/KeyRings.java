package xchat.persistence;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import xchat.persistence.crypto.KeyWrap;
import xchat.persistence.crypto.ScryptParams;
import xchat.persistence.crypto.TagMismatchException;
import xchat.persistence.record.KeyRing;

/** The keyring record in {@code meta}: the random master key sealed under the passphrase. */
final class KeyRings {
  private static final String KEYRING_HINT =
      "it was not created by xchat, or its creation was interrupted";

  private KeyRings() {}

  static byte[] writeNew(
      RocksDB db,
      ColumnFamilyHandle meta,
      RocksResources resources,
      char[] passphrase,
      ScryptParams params,
      SecureRandom random)
      throws RocksDBException {
    byte[] master = KeyWrap.newMasterKey(random);
    db.put(meta, resources.syncWriteOptions, Keys.META_KEYRING, encode(master, passphrase, params, random).toByteArray());
    return master;
  }

  static KeyRing encode(byte[] master, char[] passphrase, ScryptParams params, SecureRandom random) {
    KeyWrap.Wrapped wrapped = KeyWrap.wrap(master, passphrase, params, random);
    return KeyRing.newBuilder()
        .setVersion(RecordType.CURRENT_VERSION)
        .setSalt(ByteString.copyFrom(wrapped.salt()))
        .setLog2N(params.log2N())
        .setR(params.r())
        .setP(params.p())
        .setWrappedMaster(ByteString.copyFrom(wrapped.sealedMaster()))
        .build();
  }

  static byte[] unlock(RocksDB db, ColumnFamilyHandle meta, char[] passphrase, Path directory)
      throws RocksDBException {
    KeyWrap.Wrapped wrapped = read(db, meta, directory);
    try {
      return KeyWrap.unwrap(wrapped, passphrase);
    } catch (TagMismatchException e) {
      throw new WrongPassphraseException(
          "the passphrase does not unlock the store at " + directory + " (or its keyring was altered)");
    }
  }

  private static KeyWrap.Wrapped read(RocksDB db, ColumnFamilyHandle meta, Path directory)
      throws RocksDBException {
    byte[] raw = db.get(meta, Keys.META_KEYRING);
    if (raw == null) {
      throw new StoreCorruptedException(
          "the store at " + directory + " has no keyring record: " + KEYRING_HINT);
    }
    KeyRing ring = RecordType.KEY_RING.parse(Cf.META, raw);
    try {
      if (ring.getSalt().size() != KeyWrap.SALT_LENGTH) {
        throw new IllegalArgumentException("salt must be " + KeyWrap.SALT_LENGTH + " bytes");
      }
      return new KeyWrap.Wrapped(
          ring.getSalt().toByteArray(),
          new ScryptParams(ring.getLog2N(), ring.getR(), ring.getP()),
          ring.getWrappedMaster().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new StoreCorruptedException(
          "the keyring of the store at " + directory + " is invalid: " + e.getMessage());
    }
  }
}
