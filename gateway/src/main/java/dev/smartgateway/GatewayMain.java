package dev.smartgateway;

public final class GatewayMain {
  public static void main(String[] args) {
    System.out.println("placeholder");
  }
}
