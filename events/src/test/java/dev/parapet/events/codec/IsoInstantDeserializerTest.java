package dev.parapet.events.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantDeserializerTest {

    private static Instant read(String json) throws Exception {
        return Json.mapper().readValue(json, Instant.class);
    }

    @Test
    void theFastPathAgreesWithInstantParseOnEveryFractionLength() {
        Random random = new Random(20261130);
        for (int i = 0; i < 5_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
            String seconds = instant.toString().substring(0, 19);
            String nanos = String.format("%09d", instant.getNano());
            int digits = random.nextInt(10);
            String text = seconds + (digits == 0 ? "" : "." + nanos.substring(0, digits)) + "Z";

            assertThat(IsoInstantDeserializer.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void otherFormsGoToTheStandardParserWhichDecides() throws Exception {
        // valid, but not the contract's form: the standard parser's answer, whatever it is
        for (String text : List.of("2016-12-31T23:59:60Z", "+12026-11-30T01:02:03Z", "2026-11-30T24:00:00Z",
                "2026-11-30T01:02:03.Z", "2026-11-30T01:02:03.45z")) {
            assertThat(IsoInstantDeserializer.parse(text)).isNull();
            assertThat(read('"' + text + '"')).isEqualTo(Instant.parse(text));
        }
        // invalid: refused, as before
        for (String text : List.of("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-30T01:02:03.1234567890Z",
                "2026-11-30 01:02:03Z", "2026-11-30T01:02:03", "2026-11-3OT01:02:03Z", "")) {
            assertThat(IsoInstantDeserializer.parse(text)).as(text).isNull();
            assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
            assertThatThrownBy(() -> read('"' + text + '"')).as(text).isInstanceOf(JsonMappingException.class);
        }
    }

    @Test
    void theEdgesOfTheCalendarAgreeWithInstantParse() {
        for (String text : List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.5Z",
                "2024-02-29T00:00:00Z", "1970-01-01T00:00:00.000Z")) {
            assertThat(IsoInstantDeserializer.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (String text : List.of("1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-30T23:60:00Z")) {
            assertThat(IsoInstantDeserializer.parse(text)).as(text).isNull();
            assertThatThrownBy(() -> read('"' + text + '"')).as(text).isInstanceOf(JsonMappingException.class);
        }
    }

    @Test
    void theMapperReadsTheContractsFormThroughTheFastPath() throws Exception {
        assertThat(Json.mapper().getRegisteredModuleIds()).contains("parapet-instants");
        assertThat(read("\"2026-11-30T01:02:03.456789Z\"")).isEqualTo(Instant.parse("2026-11-30T01:02:03.456789Z"));
        assertThat(read("\"1970-01-01T00:00:00Z\"")).isEqualTo(Instant.EPOCH);
    }
}
