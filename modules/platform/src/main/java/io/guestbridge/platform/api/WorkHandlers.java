package io.guestbridge.platform.api;

import java.util.List;

/**
 * Handlers that exist only at run time, one per configured thing (e.g. one queue per CRM connector).
 * Implement it as an application-scoped CDI bean; the platform's workers serve every handler it returns
 * at start-up, exactly like {@link WorkHandler} beans, and route messages of their types to them.
 */
public interface WorkHandlers {

    List<WorkHandler<?>> handlers();
}
