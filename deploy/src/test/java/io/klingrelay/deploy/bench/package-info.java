/** The admission benchmark of issue 4 ({@code ./klingrelay bench}): permit utilisation, queue throughput, dispatch latency. */
@NullMarked
package io.klingrelay.deploy.bench;

import org.jspecify.annotations.NullMarked;
