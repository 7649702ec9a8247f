/**
 * Offline checks of the deployment manifests ({@code deploy/kubernetes}, {@code deploy/compose}):
 * rendered and parsed in the test JVM (fabric8 Kubernetes model, Jackson YAML), checked against the
 * images {@code ./klingrelay images} builds and the properties the services really bind.
 */
@NullMarked
package io.klingrelay.deploy.manifests;

import org.jspecify.annotations.NullMarked;
