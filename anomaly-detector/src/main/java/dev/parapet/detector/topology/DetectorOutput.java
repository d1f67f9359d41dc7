package dev.parapet.detector.topology;

import dev.parapet.events.Anomaly;
import dev.parapet.events.Revocation;

/**
 * What the detector emits for one crossing: the anomaly, or an auto-response revocation.
 *
 * @param anomaly    set for an alert
 * @param revocation set for an auto-response
 */
record DetectorOutput(Anomaly anomaly, Revocation revocation) {

    static DetectorOutput of(Anomaly anomaly) {
        return new DetectorOutput(anomaly, null);
    }

    static DetectorOutput of(Revocation revocation) {
        return new DetectorOutput(null, revocation);
    }
}
