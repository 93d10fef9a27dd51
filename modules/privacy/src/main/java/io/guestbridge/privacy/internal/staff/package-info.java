/**
 * What staff see and do: the management API of requests and of the data map, the console's desk on the same services and
 * checks, and the record of processing (Art. 30) made from the data map, the recipients and the retention policies.
 */
package io.guestbridge.privacy.internal.staff;
