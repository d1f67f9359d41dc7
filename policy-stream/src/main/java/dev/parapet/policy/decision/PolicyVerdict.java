package dev.parapet.policy.decision;

import dev.parapet.auth.VerifiedToken;
import dev.parapet.events.DetectorResult;
import dev.parapet.events.ShadowResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the policy stage decided about one query, before it is written out as events. Exactly
 * one verdict per query; an error anywhere on the way is a {@code DENY} with
 * {@code POLICY_ERROR}, never an approval.
 *
 * @param outcome     approve, flag or deny
 * @param reasonCode  APPROVED, FLAGGED or the denial reason (TOKEN_EXPIRED, RATE_LIMITED, ...)
 * @param detail      human-readable why (no token, no prompt)
 * @param token       the verified token, when verification succeeded
 * @param riskScore   0 to 100
 * @param ruleId      the rule that decided, if a rule did
 * @param ruleName    its name
 * @param ruleMatches content rule ids that matched
 * @param windowCount the user's rate-window count, when the window was consulted
 * @param fingerprint token fingerprint, when there was a token
 * @param detector    what the learned content detector said, when content was checked
 * @param shadow      what a candidate detector in shadow mode would have decided, when one runs
 */
public record PolicyVerdict(Outcome outcome, String reasonCode, String detail, Optional<VerifiedToken> token,
                            double riskScore, String ruleId, String ruleName, List<String> ruleMatches,
                            Integer windowCount, String fingerprint, DetectorResult detector, ShadowResult shadow) {

    /** The three ways a query can leave the policy stage. */
    public enum Outcome { APPROVE, FLAG, DENY }

    public PolicyVerdict {
        Objects.requireNonNull(outcome, "outcome can't be null");
        Objects.requireNonNull(reasonCode, "reasonCode can't be null");
        Objects.requireNonNull(detail, "detail can't be null");
        Objects.requireNonNull(token, "token can't be null");
        ruleMatches = List.copyOf(ruleMatches);
    }

    /** A verdict without content-detector results (every refusal before the content check). */
    public PolicyVerdict(Outcome outcome, String reasonCode, String detail, Optional<VerifiedToken> token, double riskScore,
                         String ruleId, String ruleName, List<String> ruleMatches, Integer windowCount, String fingerprint) {
        this(outcome, reasonCode, detail, token, riskScore, ruleId, ruleName, ruleMatches, windowCount, fingerprint, null, null);
    }

    /** The same verdict with the content detector's and the shadow's results. */
    public PolicyVerdict withContent(DetectorResult detectorResult, ShadowResult shadowResult) {
        return new PolicyVerdict(outcome, reasonCode, detail, token, riskScore, ruleId, ruleName, ruleMatches, windowCount,
                fingerprint, detectorResult, shadowResult);
    }

    public static PolicyVerdict deny(String reasonCode, String detail, Optional<VerifiedToken> token, double risk,
                                     List<String> ruleMatches, Integer windowCount, String fingerprint) {
        return new PolicyVerdict(Outcome.DENY, reasonCode, detail, token, risk, reasonCode, humanize(reasonCode),
                ruleMatches, windowCount, fingerprint);
    }

    public boolean approved() {
        return outcome != Outcome.DENY;
    }

    /** {@code TOKEN_EXPIRED} → {@code Token expired}. */
    static String humanize(String code) {
        String words = code.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
