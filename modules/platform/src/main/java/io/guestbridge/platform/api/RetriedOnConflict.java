package io.guestbridge.platform.api;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@code @Transactional} method, or every method of a bean, whose transaction is run again when the database refused
 * it as conflicting with a concurrent one ({@link TransientDatabaseException#isTransient(Throwable)}): a deadlock, a
 * lock wait timeout, or, on a Galera cluster, a commit that lost certification to one committed through another node.
 * The transaction was rolled back, so running it again is running it once.
 *
 * <p>The retry wraps the transaction (its interceptor runs before the transaction's), and only a transaction the
 * method began: called inside a caller's transaction, the failure is the caller's to handle, since a retry there could
 * not undo what the caller's transaction already did. Only for methods whose every effect is in the database
 * transaction (no mail sent, no remote call made from inside it). After the last attempt the failure goes on to the
 * caller; at the HTTP boundary it is answered 503 with Retry-After.
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RetriedOnConflict {
}
