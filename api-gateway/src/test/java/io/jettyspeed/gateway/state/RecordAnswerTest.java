package io.jettyspeed.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.jettyspeed.schemas.StoredFile;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordAnswerTest {

    static final Instant SEEN = Instant.parse("2026-01-31T12:00:00Z");
    static final StoredFile FILE = StoredFile.newBuilder().setFileHash("a".repeat(64)).setOwnerUserId("usr_1")
            .setSessionId("s1").setFileName(null).setFileSize(10).setLocation("https://storage.example/a")
            .setFirstSeen(SEEN).setLastReferencedAt(SEEN).setReferenceCount(1).setCloneCount(0).setBytesSaved(0)
            .setSecondsSaved(0).build();

    @Test
    void shouldHoldCopiedAndComputedFieldsInTheOrderTheyWereAdded() {
        // when
        var body = RecordAnswer.of(FILE).copy("fileSize", "fileName").put("owner", "usr_1").copy("firstSeen").body();

        // then: the record's own values, nulls and logical types included
        assertThat(body).containsExactly(entry("fileSize", 10L), entry("fileName", null), entry("owner", "usr_1"),
                entry("firstSeen", SEEN));
    }

    @Test
    void shouldFailForAFieldTheRecordDoesNotHave() {
        // when / then
        assertThatThrownBy(() -> RecordAnswer.of(FILE).copy("fileHsh")).isInstanceOf(RuntimeException.class);
    }
}
