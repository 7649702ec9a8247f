package io.klingrelay.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class AdmissionBenchTest {

    @Test
    void percentilesUseTheNearestRankOfSortedValues() {
        List<Long> hundred = LongStream.rangeClosed(1, 100).boxed().toList();

        assertThat(AdmissionBench.percentile(hundred, 50)).isEqualTo(50);
        assertThat(AdmissionBench.percentile(hundred, 99)).isEqualTo(99);
        assertThat(AdmissionBench.percentile(List.of(7L), 99)).isEqualTo(7);
        assertThat(AdmissionBench.percentile(List.of(), 50)).isZero();
    }
}
