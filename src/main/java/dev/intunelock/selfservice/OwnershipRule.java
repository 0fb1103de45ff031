package dev.intunelock.selfservice;

import dev.intunelock.auth.Caller;
import dev.intunelock.intune.IntuneDevice;

/**
 * The ownership rule: through self-service, a caller sees and locks only the devices Intune registers to them, i.e.
 * whose primary user ({@code userId}) is the caller's Entra object id ({@code oid}). Names (a UPN) can be renamed and
 * handed to someone else; the object id cannot. A device with no user is nobody's; a caller without an object id
 * owns nothing.
 */
final class OwnershipRule {

    private OwnershipRule() {
    }

    static boolean owns(Caller caller, IntuneDevice device) {
        return caller.objectId() != null && device.userId() != null
                && device.userId().equalsIgnoreCase(caller.objectId());
    }
}
