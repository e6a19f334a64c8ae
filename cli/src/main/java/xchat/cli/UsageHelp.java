package xchat.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code --help} on every command, each with an Examples footer. The examples live in one place
 * so the whole command line reads consistently; a command that declares its own footer keeps it.
 */
final class UsageHelp {
  private static final Map<String, List<String>> EXAMPLES = Map.ofEntries(
      Map.entry("", List.of(
          "./xchat demo                       # the tour, on loopback",
          "./xchat keygen",
          "./xchat --home ~/.xchat init",
          "./xchat --home ~/.xchat circle add friends --relay ws://127.0.0.1:7447",
          "./xchat send --help")),
      Map.entry("keygen", List.of(
          "./xchat keygen                     # nsec, then npub",
          "./xchat keygen --hex               # also both keys as hex")),
      Map.entry("wrap", List.of(
          "./xchat wrap --nsec $ALICE_NSEC --to $BOB_NPUB 'hi Bob' > wraps.jsonl",
          "XCHAT_NSEC=$ALICE_NSEC ./xchat wrap --to $BOB_NPUB,$CAROL_NPUB \\",
          "    --subject plans --expires-in 3600 'see you at 7'")),
      Map.entry("unwrap", List.of(
          "./xchat unwrap --nsec $BOB_NSEC < wraps.jsonl",
          "./xchat unwrap --nsec-file bob.nsec < wraps.jsonl | jq -r .content")),
      Map.entry("verify", List.of(
          "./xchat verify < events.jsonl      # 'ok ID' per line; exit 1 if any fails")),
      Map.entry("init", List.of(
          "XCHAT_PASSPHRASE=... ./xchat --home ~/.xchat init    # a new account",
          "./xchat --home ~/phone init --nsec $ALICE_NSEC       # another device")),
      Map.entry("circle", List.of(
          "./xchat --home ~/.xchat circle add friends --relay ws://127.0.0.1:7447",
          "./xchat --home ~/.xchat circle list",
          "./xchat --home ~/.xchat circle remove work")),
      Map.entry("circle add", List.of(
          "./xchat --home ~/.xchat circle add friends \\",
          "    --relay ws://127.0.0.1:7447 ws://127.0.0.1:7448 --file-server http://127.0.0.1:7447",
          "./xchat --home ~/phone circle add friends --relay ws://127.0.0.1:7447")),
      Map.entry("circle files", List.of(
          "./xchat --home ~/.xchat circle files friends                 # the list",
          "./xchat --home ~/.xchat circle files friends --server http://127.0.0.1:7447")),
      Map.entry("circle list", List.of(
          "./xchat --home ~/.xchat circle list    # name, then relays")),
      Map.entry("circle remove", List.of(
          "./xchat --home ~/.xchat circle remove work   # everywhere; shredded here")),
      Map.entry("send", List.of(
          "./xchat --home ~/.xchat send --circle friends --to $BOB_NPUB 'Dinner?'",
          "./xchat --home ~/.xchat send --circle work --to $BOB_NPUB,$CAROL_NPUB \\",
          "    --expires-in 1h 'call at 3'")),
      Map.entry("send-file", List.of(
          "./xchat --home ~/.xchat send-file --circle friends --to $BOB_NPUB photo.jpg",
          "./xchat --home ~/.xchat send-file --circle friends --to $BOB_NPUB --mime application/pdf notes")),
      Map.entry("get-file", List.of(
          "./xchat --home ~/bob get-file --circle friends ID --out photo.jpg   # the id send-file printed")),
      Map.entry("sync", List.of(
          "./xchat --home ~/.xchat sync                # every circle",
          "./xchat --home ~/phone sync --circle friends --timeout 2m")),
      Map.entry("messages", List.of(
          "./xchat --home ~/.xchat messages --circle friends",
          "./xchat --home ~/.xchat messages --circle friends --json | jq -r .content")),
      Map.entry("delete", List.of(
          "./xchat --home ~/.xchat delete --circle friends ID   # the id send printed")),
      Map.entry("watch", List.of(
          "./xchat --home ~/.xchat watch --circle friends",
          "./xchat --home ~/.xchat watch --circle friends --json --count 10 --for 5m")),
      Map.entry("relay", List.of(
          "./xchat relay                      # ws://127.0.0.1:7447, temp data",
          "./xchat relay --port 7448 --data ~/.xchat-relay --auth-required")),
      Map.entry("demo", List.of(
          "./xchat demo                       # ~20 s; exit 0 when all devices agree")),
      Map.entry("simulate", List.of(
          "./xchat simulate --seed 42",
          "./xchat simulate --seeds 200 --devices 3 --relays 3 --report sim.html")),
      Map.entry("bench", List.of(
          "./xchat bench sync",
          "./xchat bench ingest --json ingest.json --html ingest.html")),
      Map.entry("bench ingest", List.of(
          "./xchat bench ingest               # 5,000 wraps",
          "./xchat bench ingest --wraps 50000 --json ingest.json --html ingest.html")),
      Map.entry("bench media", List.of(
          "./xchat bench media                # 256 MB through send-file and get-file",
          "./xchat bench media --size-mb 1024 --json media.json")),
      Map.entry("bench send", List.of(
          "./xchat bench send",
          "./xchat bench send --sends 2000 --json send.json")),
      Map.entry("bench sync", List.of(
          "./xchat bench sync                 # 100k and 1M ids, 0.1/1/10% apart",
          "./xchat bench sync --sizes 100000 --html sync.html")),
      Map.entry("bench relay", List.of(
          "./xchat bench relay",
          "./xchat bench relay --events 1000000 --publish 20000 --json relay.json")),
      Map.entry("help", List.of(
          "./xchat help",
          "./xchat help circle add")));

  private UsageHelp() {}

  /** Gives every command, subcommands included, {@code --help} and its examples. */
  static void install(CommandLine line) {
    CommandLine.Model.CommandSpec spec = line.getCommandSpec();
    if (!(spec.userObject() instanceof CommandLine.HelpCommand)) {
      spec.mixinStandardHelpOptions(true);
      if (spec.version().length == 0) {
        spec.version(spec.root().version());
      }
    }
    List<String> examples = EXAMPLES.get(path(spec));
    if (examples != null && spec.usageMessage().footer().length == 0) {
      String[] footer = new String[examples.size() + 2];
      footer[0] = "";
      footer[1] = "Examples:";
      for (int i = 0; i < examples.size(); i++) {
        footer[i + 2] = "  " + examples.get(i).replace("%", "%%"); // picocli formats help text
      }
      spec.usageMessage().footer(footer);
    }
    line.getSubcommands().values().forEach(UsageHelp::install);
  }

  private static String path(CommandLine.Model.CommandSpec spec) {
    String qualified = spec.qualifiedName(" ");
    int space = qualified.indexOf(' ');
    return space < 0 ? "" : qualified.substring(space + 1);
  }
}
