package dev.parapet.policy.audit;

import static dev.parapet.events.codec.JsonFields.bool;
import static dev.parapet.events.codec.JsonFields.number;
import static dev.parapet.events.codec.JsonFields.optional;
import static dev.parapet.events.codec.JsonFields.strings;
import static dev.parapet.events.codec.JsonFields.text;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.parapet.events.Decision;
import dev.parapet.events.DecisionDetails;
import dev.parapet.events.DetectorResult;
import dev.parapet.events.ShadowResult;
import dev.parapet.events.codec.IsoInstantFormat;
import dev.parapet.events.codec.Json;
import dev.parapet.events.codec.ThreadBuffer;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsRule;
import dev.parapet.events.ecs.EcsUser;
import dev.parapet.events.ecs.GenAi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The bytes {@link CanonicalJson} gives for a decision document without {@code parapet.audit.prev_hash}
 * and {@code parapet.audit.hash}, written straight from the record with Jackson's streaming
 * generator: properties and map entries sorted by name at every level, the two hash fields left out,
 * {@code null}s left out where the record's codec leaves them out. The policy stage hashes these on
 * every decision, so it spares the data-binding layer (reflection, a property walk per object);
 * the verifier, which reads documents rather than records, keeps {@link CanonicalJson}.
 *
 * <p>The property names and their order are written out here, so a component added to one of the
 * records must be added here too. {@code CanonicalDecisionTest} holds this writer to the codec's
 * document through {@link CanonicalJson} for varied decisions, and pins each record's components,
 * so a new component fails the build until it is written.
 */
final class CanonicalDecision {

    /**
     * A decision's canonical bytes, and where its {@code "audit":{...}} member sits in them. The
     * array is the writing thread's buffer, reused by its next write: read it before then.
     *
     * @param buffer     holds the canonical form, UTF-8, from 0 to {@code length}
     * @param length     the form's length
     * @param auditStart offset of the member's opening quote
     * @param auditEnd   offset just past the member's closing brace
     */
    record Written(byte[] buffer, int length, int auditStart, int auditEnd) {

        byte[] copy() {
            return Arrays.copyOf(buffer, length);
        }
    }


    private static final SerializedString ACTION = new SerializedString("action");
    private static final SerializedString AGREES = new SerializedString("agrees");
    private static final SerializedString AT_TIMESTAMP = new SerializedString("@timestamp");
    private static final SerializedString AUDIT = new SerializedString("audit");
    private static final SerializedString BAND = new SerializedString("band");
    private static final SerializedString CATEGORY = new SerializedString("category");
    private static final SerializedString CLAIMED_USER_ID = new SerializedString("claimed_user_id");
    private static final SerializedString COUNT = new SerializedString("count");
    private static final SerializedString DETECTOR = new SerializedString("detector");
    private static final SerializedString DURATION = new SerializedString("duration");
    private static final SerializedString EVENT = new SerializedString("event");
    private static final SerializedString GEN_AI = new SerializedString("gen_ai");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString INPUT_TOKENS = new SerializedString("input_tokens");
    private static final SerializedString IP = new SerializedString("ip");
    private static final SerializedString JTI = new SerializedString("jti");
    private static final SerializedString KIND = new SerializedString("kind");
    private static final SerializedString MODEL = new SerializedString("model");
    private static final SerializedString MODEL_ID = new SerializedString("model_id");
    private static final SerializedString MODEL_SCORE = new SerializedString("model_score");
    private static final SerializedString MODEL_VERSION = new SerializedString("model_version");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString ORIGINAL = new SerializedString("original");
    private static final SerializedString OUTCOME = new SerializedString("outcome");
    private static final SerializedString OUTPUT_TOKENS = new SerializedString("output_tokens");
    private static final SerializedString PARAPET = new SerializedString("parapet");
    private static final SerializedString PARTITION = new SerializedString("partition");
    private static final SerializedString QUERY_ID = new SerializedString("query_id");
    private static final SerializedString QUERY_SHA256 = new SerializedString("query_sha256");
    private static final SerializedString QUERY_TEXT = new SerializedString("query_text");
    private static final SerializedString REASON = new SerializedString("reason");
    private static final SerializedString REASON_CODE = new SerializedString("reason_code");
    private static final SerializedString REDACTIONS = new SerializedString("redactions");
    private static final SerializedString REQUEST = new SerializedString("request");
    private static final SerializedString RISK_SCORE = new SerializedString("risk_score");
    private static final SerializedString ROLES = new SerializedString("roles");
    private static final SerializedString RULE = new SerializedString("rule");
    private static final SerializedString RULE_MATCHES = new SerializedString("rule_matches");
    private static final SerializedString RULE_PACK = new SerializedString("rule_pack");
    private static final SerializedString SCHEMA_VERSION = new SerializedString("schema_version");
    private static final SerializedString SCORE = new SerializedString("score");
    private static final SerializedString SEQ = new SerializedString("seq");
    private static final SerializedString SEVERITY = new SerializedString("severity");
    private static final SerializedString SHADOW = new SerializedString("shadow");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString STAGE = new SerializedString("stage");
    private static final SerializedString TOKEN_FINGERPRINT = new SerializedString("token_fingerprint");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString USAGE = new SerializedString("usage");
    private static final SerializedString USER = new SerializedString("user");
    private static final SerializedString USER_AGENT = new SerializedString("user_agent");
    private static final SerializedString WINDOW_COUNT = new SerializedString("window_count");

    private CanonicalDecision() {
    }

    static byte[] bytes(Decision decision) {
        var audit = decision.parapet().audit();
        if (audit == null) {
            throw new IllegalArgumentException("a decision to hash carries its audit link's partition and seq");
        }
        return write(decision, audit.partition(), audit.seq()).copy();
    }

    /** Writes {@code decision} with its audit link at {@code partition}, {@code seq}, whatever audit link it carries. */
    static Written write(Decision decision, int partition, long seq) {
        ThreadBuffer out = ThreadBuffer.take();
        try (JsonGenerator generator = Json.mapper().getFactory().createGenerator(out)) {
            generator.writeStartObject();
            text(generator, AT_TIMESTAMP, IsoInstantFormat.format(decision.timestamp()));
            event(generator, decision.event());
            if (decision.genAi() != null) {
                genAi(generator, decision.genAi());
            }
            generator.writeFieldName(PARAPET);
            generator.writeStartObject();
            generator.flush();
            int auditStart = out.size();
            generator.writeFieldName(AUDIT); // the first member: "audit" sorts before every other name of parapet
            generator.writeStartObject();
            number(generator, PARTITION, partition);
            number(generator, SEQ, seq);
            generator.writeEndObject();
            generator.flush();
            int auditEnd = out.size();
            details(generator, decision.parapet());
            generator.writeEndObject();
            if (decision.rule() != null) {
                rule(generator, decision.rule());
            }
            number(generator, SCHEMA_VERSION, decision.schemaVersion());
            generator.writeFieldName(SOURCE);
            generator.writeStartObject();
            text(generator, IP, decision.source().ip());
            generator.writeEndObject();
            if (decision.user() != null) {
                user(generator, decision.user());
            }
            if (decision.userAgent() != null) {
                generator.writeFieldName(USER_AGENT);
                generator.writeStartObject();
                text(generator, ORIGINAL, decision.userAgent().original());
                generator.writeEndObject();
            }
            generator.writeEndObject();
            generator.flush();
            return new Written(out.array(), out.size(), auditStart, auditEnd);
        } catch (IOException e) {
            throw new UncheckedIOException("a decision record always serialises", e);
        }
    }

    private static void event(JsonGenerator generator, EcsEvent event) throws IOException {
        generator.writeFieldName(EVENT);
        generator.writeStartObject();
        optional(generator, ACTION, event.action());
        strings(generator, CATEGORY, event.category());
        if (event.duration() != null) {
            number(generator, DURATION, event.duration());
        }
        text(generator, ID, event.id());
        text(generator, KIND, event.kind());
        optional(generator, OUTCOME, event.outcome());
        optional(generator, REASON, event.reason());
        if (event.riskScore() != null) {
            number(generator, RISK_SCORE, event.riskScore());
        }
        if (event.severity() != null) {
            number(generator, SEVERITY, event.severity());
        }
        strings(generator, TYPE, event.type());
        generator.writeEndObject();
    }

    /** {@code gen_ai} leaves out its null members; its two nested records write theirs as null. */
    private static void genAi(JsonGenerator generator, GenAi genAi) throws IOException {
        generator.writeFieldName(GEN_AI);
        generator.writeStartObject();
        if (genAi.request() != null) {
            generator.writeFieldName(REQUEST);
            generator.writeStartObject();
            nullable(generator, MODEL, genAi.request().model());
            generator.writeEndObject();
        }
        if (genAi.usage() != null) {
            generator.writeFieldName(USAGE);
            generator.writeStartObject();
            nullable(generator, INPUT_TOKENS, genAi.usage().inputTokens());
            nullable(generator, OUTPUT_TOKENS, genAi.usage().outputTokens());
            generator.writeEndObject();
        }
        generator.writeEndObject();
    }

    /** The members of {@code parapet} after {@code audit}. */
    private static void details(JsonGenerator generator, DecisionDetails details) throws IOException {
        optional(generator, CLAIMED_USER_ID, details.claimedUserId());
        if (details.count() != null) {
            number(generator, COUNT, details.count());
        }
        if (details.detector() != null) {
            detector(generator, details.detector());
        }
        optional(generator, JTI, details.jti());
        optional(generator, QUERY_ID, details.queryId());
        optional(generator, QUERY_SHA256, details.querySha256());
        optional(generator, QUERY_TEXT, details.queryText());
        text(generator, REASON_CODE, details.reasonCode());
        if (details.redactions() != null) {
            generator.writeFieldName(REDACTIONS);
            generator.writeStartObject();
            List<Map.Entry<String, Integer>> entries = new ArrayList<>(details.redactions().entrySet());
            entries.sort(Map.Entry.comparingByKey());
            for (Map.Entry<String, Integer> entry : entries) {
                generator.writeFieldName(entry.getKey());
                nullable(generator, entry.getValue());
            }
            generator.writeEndObject();
        }
        strings(generator, RULE_MATCHES, details.ruleMatches());
        if (details.shadow() != null) {
            shadow(generator, details.shadow());
        }
        text(generator, STAGE, details.stage());
        optional(generator, TOKEN_FINGERPRINT, details.tokenFingerprint());
        if (details.windowCount() != null) {
            number(generator, WINDOW_COUNT, details.windowCount());
        }
    }

    private static void detector(JsonGenerator generator, DetectorResult detector) throws IOException {
        generator.writeFieldName(DETECTOR);
        generator.writeStartObject();
        optional(generator, BAND, detector.band());
        optional(generator, CATEGORY, detector.category());
        optional(generator, MODEL_ID, detector.modelId());
        number(generator, MODEL_SCORE, detector.modelScore());
        optional(generator, MODEL_VERSION, detector.modelVersion());
        number(generator, SCORE, detector.score());
        generator.writeEndObject();
    }

    private static void shadow(JsonGenerator generator, ShadowResult shadow) throws IOException {
        generator.writeFieldName(SHADOW);
        generator.writeStartObject();
        optional(generator, ACTION, shadow.action());
        bool(generator, AGREES, shadow.agrees());
        optional(generator, CATEGORY, shadow.category());
        optional(generator, MODEL_ID, shadow.modelId());
        optional(generator, MODEL_VERSION, shadow.modelVersion());
        optional(generator, RULE_PACK, shadow.rulePack());
        if (shadow.score() != null) {
            number(generator, SCORE, shadow.score());
        }
        generator.writeEndObject();
    }

    private static void rule(JsonGenerator generator, EcsRule rule) throws IOException {
        generator.writeFieldName(RULE);
        generator.writeStartObject();
        nullable(generator, ID, rule.id());
        nullable(generator, NAME, rule.name());
        generator.writeEndObject();
    }

    private static void user(JsonGenerator generator, EcsUser user) throws IOException {
        generator.writeFieldName(USER);
        generator.writeStartObject();
        nullable(generator, ID, user.id());
        strings(generator, ROLES, user.roles());
        generator.writeEndObject();
    }

    /** A member of a record whose codec writes nulls. */
    private static void nullable(JsonGenerator generator, SerializableString name, Object value) throws IOException {
        generator.writeFieldName(name);
        nullable(generator, value);
    }

    private static void nullable(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Integer number) {
            generator.writeNumber(number);
        } else {
            throw new IllegalStateException("no canonical form for " + value.getClass().getSimpleName());
        }
    }
}
