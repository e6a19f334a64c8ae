package xchat.engine.media;

import java.util.List;
import java.util.concurrent.CompletionStage;
import xchat.engine.api.DeletionHandle;
import xchat.engine.api.DeletionReport;
import xchat.engine.api.FileServerDeletion;
import xchat.engine.api.MessageHandle;

/** The deletion of a file message: the message's deletion, plus its blob's deletion per server. */
public final class FileDeletionHandle implements DeletionHandle {
  private final DeletionHandle message;
  private final CompletionStage<List<FileServerDeletion>> servers;

  public FileDeletionHandle(DeletionHandle message, CompletionStage<List<FileServerDeletion>> servers) {
    this.message = message;
    this.servers = servers;
  }

  @Override
  public String messageId() {
    return message.messageId();
  }

  @Override
  public MessageHandle rumor() {
    return message.rumor();
  }

  @Override
  public CompletionStage<DeletionReport> report() {
    return message.report();
  }

  @Override
  public CompletionStage<List<FileServerDeletion>> fileServers() {
    return servers;
  }
}
