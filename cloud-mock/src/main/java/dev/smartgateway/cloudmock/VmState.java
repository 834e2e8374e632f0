package dev.smartgateway.cloudmock;

/** A VM's life, as the cloud API reports it. PENDING is part of the contract but never used by the mock. */
enum VmState {
  PENDING, BOOTING, RUNNING, STOPPING, STOPPED, FAILED
}
