/** Interactive queries: local reads of the state stores, routing a key to the instance that owns it, presigned URLs for archived assets. */
@NullMarked
package io.klingrelay.status.query;

import org.jspecify.annotations.NullMarked;
