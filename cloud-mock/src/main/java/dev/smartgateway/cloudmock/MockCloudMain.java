package dev.smartgateway.cloudmock;

public final class MockCloudMain {
  public static void main(String[] args) {
    System.out.println("placeholder");
  }
}
