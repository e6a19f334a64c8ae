package xchat.simulator.net;

import java.util.Optional;

/** A relay as the network sees it: up or down, its NIP-11 document, and connections to accept. */
public interface RelayEndpoint {

  /** The relay's end of one socket. */
  interface Socket {
    /** A frame from the client; false when the relay cannot take it (the socket then breaks). */
    boolean receive(String frame);

    /** The client closed the socket. */
    void close();
  }

  /** The client's end, as the relay writes to it. */
  interface Client {
    void frame(String text);

    void closed(Optional<String> reason);
  }

  String url();

  boolean up();

  String informationDocument();

  Socket accept(String device, Client client);
}
