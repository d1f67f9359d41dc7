package dev.parapet.events.codec;

import static dev.parapet.events.codec.JsonFields.number;
import static dev.parapet.events.codec.JsonFields.optional;
import static dev.parapet.events.codec.JsonFields.strings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.parapet.events.ApprovedQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes an {@link ApprovedQuery} with Jackson's streaming generator, byte for byte the document
 * {@link Json#mapper()} writes for it (components in declaration order, nulls left out), without
 * the data-binding layer. The policy stage writes one per approved query, prompt included.
 *
 * <p>The names are written out here, so a component added to {@link ApprovedQuery} must be added
 * here too; {@code ApprovedQueryEncoderTest} pins the components and compares the bytes with the
 * mapper's.
 */
final class ApprovedQueryEncoder {

    private static final SerializedString APPROVED_AT = new SerializedString("approved_at");
    private static final SerializedString CONVERSATION_ID = new SerializedString("conversation_id");
    private static final SerializedString DECISION_ID = new SerializedString("decision_id");
    private static final SerializedString FLAGGED_RULE_IDS = new SerializedString("flagged_rule_ids");
    private static final SerializedString JTI = new SerializedString("jti");
    private static final SerializedString METADATA = new SerializedString("metadata");
    private static final SerializedString QUERY = new SerializedString("query");
    private static final SerializedString QUERY_ID = new SerializedString("query_id");
    private static final SerializedString RISK_SCORE = new SerializedString("risk_score");
    private static final SerializedString ROLES = new SerializedString("roles");
    private static final SerializedString SCHEMA_VERSION = new SerializedString("schema_version");
    private static final SerializedString SOURCE_IP = new SerializedString("source_ip");
    private static final SerializedString TOKEN_FINGERPRINT = new SerializedString("token_fingerprint");
    private static final SerializedString USER_ID = new SerializedString("user_id");

    private ApprovedQueryEncoder() {
    }

    static byte[] encode(ApprovedQuery approved) {
        ThreadBuffer out = ThreadBuffer.take();
        try (JsonGenerator generator = Json.mapper().getFactory().createGenerator(out)) {
            generator.writeStartObject();
            number(generator, SCHEMA_VERSION, approved.schemaVersion());
            optional(generator, QUERY_ID, approved.queryId());
            optional(generator, DECISION_ID, approved.decisionId());
            optional(generator, APPROVED_AT, IsoInstantFormat.format(approved.approvedAt()));
            optional(generator, USER_ID, approved.userId());
            strings(generator, ROLES, approved.roles());
            optional(generator, JTI, approved.jti());
            optional(generator, TOKEN_FINGERPRINT, approved.tokenFingerprint());
            optional(generator, QUERY, approved.query());
            optional(generator, CONVERSATION_ID, approved.conversationId());
            generator.writeFieldName(METADATA);
            generator.writeStartObject();
            for (Map.Entry<String, String> entry : approved.metadata().entrySet()) {
                generator.writeStringField(entry.getKey(), entry.getValue());
            }
            generator.writeEndObject();
            optional(generator, SOURCE_IP, approved.sourceIp());
            number(generator, RISK_SCORE, approved.riskScore());
            strings(generator, FLAGGED_RULE_IDS, approved.flaggedRuleIds());
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("an approved query always serialises", e);
        }
        return out.toByteArray();
    }
}
