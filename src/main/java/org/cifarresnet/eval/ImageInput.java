package org.cifarresnet.eval;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import org.cifarresnet.util.UserError;

/**
 * Users' pictures as the network sees them: any PNG or JPEG, scaled to 32x32 with area averaging
 * (a plain resize would alias a large photo), transparency over white, as uint8 HWC RGB. Images over
 * 512 pixels on a side are decoded subsampled first, which bounds memory whatever their header claims.
 */
public final class ImageInput {
  private static final int SIZE = 32;
  /** Larger images are refused before decoding fully: protects against decompression bombs. */
  private static final long MAX_PIXELS = 100_000_000L;
  /** Larger images are decoded subsampled to about this many pixels on their long side. */
  private static final int DECODE_SIZE = 512;

  private ImageInput() {}

  /** Writes the image's 32 x 32 x 3 bytes into {@code dst} at {@code offset}. */
  public static void read(Path file, byte[] dst, int offset) {
    if (!Files.isRegularFile(file)) throw new UserError("image " + file + " not found; pass PNG or JPEG files");
    BufferedImage image;
    try {
      image = decode(file);
    } catch (IOException e) { // the decoders' verdict on a damaged or unsupported file
      image = null;
    }
    if (image == null) {
      throw new UserError("cannot read image " + file + ": not a readable PNG or JPEG; convert it to PNG or JPEG");
    }
    BufferedImage small = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = small.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, SIZE, SIZE);
      g.drawImage(image.getScaledInstance(SIZE, SIZE, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    } finally {
      g.dispose();
    }
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int rgb = small.getRGB(x, y);
        int i = offset + (y * SIZE + x) * 3;
        dst[i] = (byte) (rgb >> 16);
        dst[i + 1] = (byte) (rgb >> 8);
        dst[i + 2] = (byte) rgb;
      }
    }
  }

  private static BufferedImage decode(Path file) throws IOException {
    try (var in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) return null;
      var readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) return null;
      var reader = readers.next();
      try {
        reader.setInput(in, true, true);
        if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_PIXELS) {
          throw new UserError("image " + file + " is too large (" + reader.getWidth(0) + "x" + reader.getHeight(0)
              + " pixels); scale it down first");
        }
        // Decode only every n-th pixel of a large image: the network sees 32x32, and a full raster of a
        // large photo, or of a 100-byte file whose header claims 3,000,000 x 30 pixels, costs hundreds of MB.
        ImageReadParam param = reader.getDefaultReadParam();
        int step = (int) Math.max(1, Math.max(reader.getWidth(0), reader.getHeight(0)) / DECODE_SIZE);
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    }
  }
}
