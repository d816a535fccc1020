/**
 * Settings: one record per concern (model, optimizer, data, training), validated when built, and
 * {@link org.cifarresnet.config.Presets}, the one place that holds the hyper-parameter presets.
 */
package org.cifarresnet.config;
