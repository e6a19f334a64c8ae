package xchat.cli;

/** A command that is handed its streams before it runs. */
interface IoAware {
  void io(Io io);
}
