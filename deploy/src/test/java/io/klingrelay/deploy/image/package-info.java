/**
 * Checks the container images {@code ./klingrelay images} builds with Jib (OCI image layout tars in
 * {@code deploy/target/images}), without a Docker daemon: the tar is unpacked and read as files.
 */
@NullMarked
package io.klingrelay.deploy.image;

import org.jspecify.annotations.NullMarked;
