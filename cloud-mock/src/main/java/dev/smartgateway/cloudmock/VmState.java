package dev.smartgateway.cloudmock;

/**
 * A VM's life, as the cloud API reports it. PENDING is part of the contract but never used by the mock.
 * SUSPENDED: paused by {@code POST /api/vms/{id}/suspend}; its port accepts connections, but nothing is answered
 * until it is resumed.
 */
enum VmState {
  PENDING, BOOTING, RUNNING, SUSPENDED, STOPPING, STOPPED, FAILED
}
