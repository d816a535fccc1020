package org.cifarresnet.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.cifarresnet.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageInputTest {
  @TempDir Path dir;

  private Path solidPng(String name, int width, int height, Color colour) throws IOException {
    var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    Path file = dir.resolve(name);
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  @Test
  void aPictureBecomes32By32RgbBytes() throws IOException {
    byte[] pixels = new byte[2 * 32 * 32 * 3];
    ImageInput.read(solidPng("red.png", 300, 200, new Color(200, 40, 10)), pixels, 32 * 32 * 3);
    for (int i = 32 * 32 * 3; i < pixels.length; i += 3) {
      assertEquals(200, pixels[i] & 0xFF);
      assertEquals(40, pixels[i + 1] & 0xFF);
      assertEquals(10, pixels[i + 2] & 0xFF);
    }
    assertEquals(0, pixels[0], "only its own slot is written");
  }

  @Test
  void readingChangesNoSystemProperty() throws IOException {
    Properties before = (Properties) System.getProperties().clone();
    ImageInput.read(solidPng("grey.png", 40, 30, Color.GRAY), new byte[32 * 32 * 3], 0);
    assertEquals(before, System.getProperties(), "library code leaves the process's settings alone");
  }

  /** A header claiming 40,000 x 40,000 pixels is refused as too large, by name, before it is decoded. */
  @Test
  void aHugeImageIsRefusedAsTooLargeNotAsUnreadable() throws IOException {
    Path file = solidPng("huge.png", 40, 30, Color.BLUE);
    byte[] png = Files.readAllBytes(file);
    ByteBuffer.wrap(png).putInt(16, 40_000).putInt(20, 40_000); // IHDR width and height, big-endian
    var crc = new CRC32();
    crc.update(png, 12, 17);
    ByteBuffer.wrap(png).putInt(29, (int) crc.getValue());
    Files.write(file, png);
    UserError e = assertThrows(UserError.class, () -> ImageInput.read(file, new byte[32 * 32 * 3], 0));
    assertTrue(e.getMessage().contains("is too large (40000x40000 pixels)"), e.getMessage());
  }
}
