/**
 * Kling emulator: an in-process stand-in for the Kling API (kling-api.md). Its packages read top-down, each
 * depending only on packages below it (an ArchUnit rule forbids cycles):
 * <ul>
 * <li>{@code api}, {@code admin}: the web controllers (Kling API, {@code /admin});</li>
 * <li>{@code callback}, {@code asset}, {@code stats}: subscribers of the task engine's lifecycle events (and the
 * asset and CDN web endpoints);</li>
 * <li>{@code newapi}, {@code product}: request rules per product, on top of the engine;</li>
 * <li>{@code task}: the engine, which emits lifecycle events through {@code TaskEvents};</li>
 * <li>{@code account} (resource packs, {@code /account/costs}), {@code auth} (JWT / short-key verification, the
 * auth interceptor);</li>
 * <li>{@code spec} (Product, TaskSpec, OutputKind), {@code wire} (envelope, errors, codes);</li>
 * <li>{@code config}, {@code fault}: settings, clock and fault plans, importing nothing else.</li>
 * </ul>
 */
@NullMarked
package io.klingrelay.klingemulator;

import org.jspecify.annotations.NullMarked;
