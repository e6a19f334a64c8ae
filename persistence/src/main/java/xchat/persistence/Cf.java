package xchat.persistence;

import java.nio.charset.StandardCharsets;

/**
 * The column families, one per concern. Every per-circle family's keys start with the circle
 * prefix. Tombstones share the messages family: an erased rumor's slot holds its tombstone.
 */
enum Cf {
  META("meta", false, true),
  MESSAGES("messages", true, true),
  LOG("log", false, false), // per circle, but keyed seq || prefix: see Circle.logKey
  CONVERSATIONS("conversations", true, false),
  EVENTS("events", true, true),
  NEGENTROPY("negentropy", true, false),
  EXPIRATIONS("expirations", true, false),
  CURSORS("cursors", true, true),
  OUTBOX("outbox", true, true),
  DEVICE_STATE("device_state", false, true);

  final String cfName;
  final boolean perCircle;
  final boolean pointLookups;
  final byte[] nameBytes;
  /** AEAD associated-data prefix: length-prefixed so name and key cannot run into each other. */
  final byte[] context;

  Cf(String cfName, boolean perCircle, boolean pointLookups) {
    this.cfName = cfName;
    this.perCircle = perCircle;
    this.pointLookups = pointLookups;
    this.nameBytes = cfName.getBytes(StandardCharsets.US_ASCII);
    this.context = new byte[nameBytes.length + 1];
    context[0] = (byte) nameBytes.length;
    System.arraycopy(nameBytes, 0, context, 1, nameBytes.length);
  }
}
