/** The HTTP API (JSON), Server-Sent Events and the server-rendered campaign page. */
@NullMarked
package io.klingrelay.status.web;

import org.jspecify.annotations.NullMarked;
