/** The onboarding module's implementation: validity rules, stores, the stay follower, RADIUS and delivery. No other module imports it. */
package io.guestbridge.onboarding.internal;
