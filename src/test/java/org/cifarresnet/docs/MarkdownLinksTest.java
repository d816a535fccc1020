package org.cifarresnet.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.commonmark.ext.heading.anchor.IdGenerator;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the repository's Markdown (README.md and docs/) leads somewhere: the file
 * exists inside the repository, and an anchor names a heading of the target page, as GitHub makes
 * heading ids. Links to the web are not followed (no network here).
 */
class MarkdownLinksTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Parser PARSER = Parser.builder().build();
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  @Test
  void everyRelativeLinkAndAnchorResolves() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      for (String target : links(page)) {
        String problem = check(page, target);
        if (problem != null) broken.add(ROOT.relativize(page) + ": " + target + " (" + problem + ")");
        checked++;
      }
    }
    assertTrue(checked > 0, "the README has links to check");
    assertEquals(List.of(), broken, broken.size() + " broken links of " + checked);
  }

  @Test
  void headingIdsAreGitHubs() {
    assertEquals(Set.of("keras-and-tensorflow-weights-in-and-out", "train-options", "speed-issue-3", "speed-issue-3-1"),
        headingIds("## Keras and TensorFlow: weights in and out\n### `train` options\n## Speed (issue 3)\n## Speed (issue 3)\n"));
  }

  private String check(Path page, String target) {
    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) return null; // https:, mailto: ...
    int hash = target.indexOf('#');
    String file = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
    if (!resolved.startsWith(ROOT)) return "outside the repository";
    if (!Files.exists(resolved)) return "no such file";
    if (anchor == null || anchor.isEmpty()) return null;
    if (!resolved.toString().endsWith(".md")) return "an anchor into a file that is not Markdown";
    return anchorsOf(resolved).contains(anchor) ? null : "no heading with id '" + anchor + "'";
  }

  private Set<String> anchorsOf(Path page) {
    return anchors.computeIfAbsent(page, p -> headingIds(read(p)));
  }

  private static Set<String> headingIds(String markdown) {
    IdGenerator ids = IdGenerator.builder().build(); // numbers repeated headings -1, -2 ... as GitHub does
    Set<String> result = new HashSet<>();
    PARSER.parse(markdown).accept(new AbstractVisitor() {
      @Override
      public void visit(Heading heading) {
        result.add(ids.generateId(plainText(heading)));
      }
    });
    return result;
  }

  private static List<String> links(Path page) {
    List<String> result = new ArrayList<>();
    PARSER.parse(read(page)).accept(new AbstractVisitor() {
      @Override
      public void visit(Link link) {
        result.add(link.getDestination());
        visitChildren(link);
      }

      @Override
      public void visit(Image image) {
        result.add(image.getDestination());
      }
    });
    return result;
  }

  private static String plainText(Node node) {
    var text = new StringBuilder();
    node.accept(new AbstractVisitor() {
      @Override
      public void visit(Text t) {
        text.append(t.getLiteral());
      }

      @Override
      public void visit(Code c) {
        text.append(c.getLiteral());
      }
    });
    return text.toString();
  }

  private static String read(Path page) {
    try {
      return Files.readString(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
