package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesNestedValuesWithEscapes() {
        Map<String, @Nullable Object> row = new LinkedHashMap<>();
        row.put("table", "say \"hi\"\\\n");
        row.put("rows", 42L);
        row.put("healthy", true);
        row.put("lastChange", null);
        row.put("tags", Arrays.asList("a", "\u0001"));
        assertThat(Json.write(Map.of("tables", List.of(row), "empty", List.of())))
                .contains("""
                        "tables": [
                            {
                              "table": "say \\"hi\\"\\\\\\n",
                              "rows": 42,
                              "healthy": true,
                              "lastChange": null,
                              "tags": [
                                "a",
                                "\\u0001"
                              ]
                            }
                          ]""")
                .contains("\"empty\": []");
    }
}
