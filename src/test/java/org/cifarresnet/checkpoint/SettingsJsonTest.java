package org.cifarresnet.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParseException;
import org.cifarresnet.config.Presets;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.util.RefusedValue;
import org.junit.jupiter.api.Test;

/** A settings file is either read, or refused for what is wrong with it; a bug of ours is neither. */
class SettingsJsonTest {
  /** A record with a bug: its constructor trips over a missing value instead of refusing it. */
  record Careless(String name) {
    Careless {
      name.length();
    }
  }

  @Test
  void settingsReadBackAsWritten() {
    RunConfig fast = Presets.fast();
    assertEquals(fast, SettingsJson.parse(SettingsJson.GSON.toJson(fast), RunConfig.class));
  }

  @Test
  void aValueTheRecordsRefuseIsARefusal() {
    RunConfig fast = Presets.fast();
    String written = SettingsJson.GSON.toJson(fast);
    String epochs = "\"epochs\": " + fast.training().epochs();
    assertTrue(written.contains(epochs), written); // else the replacement below would test nothing
    String json = written.replace(epochs, "\"epochs\": 0");
    RefusedValue e = assertThrows(RefusedValue.class, () -> SettingsJson.parse(json, RunConfig.class));
    assertTrue(e.getMessage().contains("epochs"), e.getMessage());
  }

  @Test
  void textWhereANumberBelongsIsAParseError() {
    String json = SettingsJson.GSON.toJson(Presets.fast()).replace("\"lr\": 0.1", "\"lr\": \"fast\"");
    assertThrows(JsonParseException.class, () -> SettingsJson.parse(json, RunConfig.class));
    assertThrows(JsonParseException.class, () -> SettingsJson.parse("{\"preset\": [", RunConfig.class));
  }

  @Test
  void aBugInAConstructorIsNotBlamedOnTheFile() {
    RuntimeException e = assertThrows(RuntimeException.class, () -> SettingsJson.parse("{}", Careless.class));
    assertFalse(e instanceof JsonParseException || e instanceof RefusedValue, e.toString());
    assertTrue(e.getCause() instanceof NullPointerException, e.toString());
  }
}
