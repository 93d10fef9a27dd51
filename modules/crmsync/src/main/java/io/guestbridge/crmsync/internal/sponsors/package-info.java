/**
 * Sponsors: third parties that receive the shared fields of the guests who consented to that sponsor ({@code sponsor:<id>}),
 * only while their data sharing agreement is in force; the registry, the export, and which guests each sponsor received.
 */
package io.guestbridge.crmsync.internal.sponsors;
