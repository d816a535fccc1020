package org.cifarresnet.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.JsonSyntaxException;
import org.cifarresnet.util.RefusedValue;

/**
 * The JSON of a run's settings and state ({@code config.json}, a checkpoint's {@code checkpoint.json}).
 * Gson builds the records through their constructors, which refuse bad values ({@link RefusedValue});
 * reading, the ways a file can be wrong come out as Gson's {@link JsonParseException} or that.
 */
public final class SettingsJson {
  /** Pretty-printed, so that a person can read and compare the files. */
  public static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private SettingsJson() {}

  /**
   * @throws JsonParseException for text that is not JSON or does not fit {@code type}
   * @throws RefusedValue for a value a record refuses
   */
  public static <T> T parse(String json, Class<T> type) {
    try {
      return GSON.fromJson(json, type);
    } catch (JsonParseException e) {
      throw e;
    } catch (NumberFormatException e) {
      // Gson reads a number field's text with Double.parseDouble and lets its exception through.
      throw new JsonSyntaxException("a number field holds something else (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      // Gson wraps what a record's constructor throws in a plain RuntimeException. Only a refusal is
      // the file's fault; anything else is a bug and goes on as it is.
      if (e.getCause() instanceof RefusedValue refused) throw refused;
      throw e;
    }
  }
}
