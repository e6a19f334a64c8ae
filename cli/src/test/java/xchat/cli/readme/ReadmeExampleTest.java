package xchat.cli.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's embedding example is this module's EmbeddingExample, which the build compiles. */
class ReadmeExampleTest {
  @Test
  void theReadmeShowsTheExampleThatCompiles() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String source = Files.readString(Path.of("src/test/java/xchat/cli/readme/EmbeddingExample.java"));
    String body = source.substring(source.indexOf("import java.nio.file.Path;"));
    assertTrue(readme.contains(body.strip()),
        "README.md must quote cli/src/test/java/xchat/cli/readme/EmbeddingExample.java from its imports on");
  }
}
