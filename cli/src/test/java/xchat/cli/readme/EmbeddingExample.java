package xchat.cli.readme;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Flow;
import xchat.engine.api.EngineEvent;
import xchat.engine.api.Message;
import xchat.engine.api.MessageHandle;
import xchat.engine.api.SendOutcome;
import xchat.engine.api.XChat;
import xchat.engine.api.XChatConfig;

public final class EmbeddingExample {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);           // one directory per account per device
    String relay = args[1];                 // e.g. ws://127.0.0.1:7447 from `./xchat relay`
    String friend = args[2];                // an npub or hex public key

    XChatConfig config = XChatConfig.builder(home, "correct horse battery".toCharArray())
        .createIfMissing()                  // or .createWith(nsec) for a second device
        .build();
    try (XChat chat = XChat.open(config)) {
      chat.events().subscribe(new Flow.Subscriber<EngineEvent>() {
        public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
        public void onNext(EngineEvent event) {
          if (event instanceof EngineEvent.MessageAdded added) {
            System.out.println(added.message().author() + ": " + added.message().content());
          }
        }
        public void onError(Throwable error) { System.err.println("events ended: " + error); }
        public void onComplete() {}
      });

      if (chat.circle("friends").isEmpty()) {
        chat.createCircle("friends", List.of(relay));
      }
      MessageHandle handle = chat.send("friends", List.of(friend), "hello from the embedding example");
      SendOutcome outcome = handle.outcome().toCompletableFuture().join();
      System.out.println(handle.messageId() + " " + outcome.status());

      for (Message message : chat.messages("friends")) {
        System.out.println(message.createdAt() + " " + message.content());
      }
    }
  }
}
