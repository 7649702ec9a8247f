/**
 * The callback endpoint and its decision logic: authenticate (token, optional Standard Webhooks
 * signature), parse, propose to the task ledger, publish, and only then answer 2xx.
 */
@NullMarked
package io.klingrelay.webhookreceiver.callback;

import org.jspecify.annotations.NullMarked;
