package xchat.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xchat.engine.api.EngineEvent;
import xchat.engine.api.XChat;

@Command(name = "watch", description = "Print a circle's new messages as they arrive, until interrupted.")
final class WatchCommand implements Callable<Integer>, IoAware {
  @ParentCommand Main main;

  @Option(names = "--circle", required = true, paramLabel = "NAME") String circle;

  @Option(names = "--json", description = "JSON lines, like messages --json; deletions as {\"deleted\":ID}.")
  boolean json;

  @Option(names = "--count", paramLabel = "N", description = "Exit after N messages.")
  Integer count;

  @Option(names = "--for", paramLabel = "DURATION", description = "Exit after this long.")
  String duration;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger printed = new AtomicInteger();
    try (XChat chat = Home.open(main, true)) {
      chat.events().subscribe(new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(EngineEvent event) {
          if (event instanceof EngineEvent.MessageAdded added && added.message().circle().equals(circle)) {
            synchronized (io) {
              io.out().println(json ? MessageJson.line(added.message()) : MessageJson.text(added.message()));
              io.out().flush();
            }
            if (count != null && printed.incrementAndGet() >= count) {
              done.countDown();
            }
          } else if (event instanceof EngineEvent.MessageDeleted deleted && deleted.circle().equals(circle)) {
            synchronized (io) {
              io.out().println(json ? "{\"deleted\":\"" + deleted.messageId() + "\"}" : "deleted " + deleted.messageId());
              io.out().flush();
            }
          }
        }

        @Override
        public void onError(Throwable throwable) {
          done.countDown();
        }

        @Override
        public void onComplete() {
          done.countDown();
        }
      });
      chat.sync(circle, Duration.ofSeconds(30));
      if (duration != null) {
        done.await(Home.duration(duration).toMillis(), TimeUnit.MILLISECONDS);
      } else {
        done.await();
      }
    }
    return 0;
  }
}
