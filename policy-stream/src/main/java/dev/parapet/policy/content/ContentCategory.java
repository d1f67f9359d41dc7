package dev.parapet.policy.content;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What kind of attack a content rule recognises, and the reason code a block carries. */
public enum ContentCategory {
    PROMPT_INJECTION("PROMPT_INJECTION"),
    JAILBREAK("JAILBREAK"),
    SYSTEM_PROMPT_EXTRACTION("EXTRACTION_ATTEMPT"),
    SECRET_EXTRACTION("EXTRACTION_ATTEMPT");

    private final String reasonCode;

    ContentCategory(String reasonCode) {
        this.reasonCode = reasonCode;
    }

    /** PROMPT_INJECTION, JAILBREAK or EXTRACTION_ATTEMPT. */
    public String reasonCode() {
        return reasonCode;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ContentCategory fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
