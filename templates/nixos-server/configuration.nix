# The server itself: reachable over SSH with your key only. Keep it small; the gateway is in clawdbot.nix.
{ ... }:
{
  imports = [
    # Generated on the server: `nixos-generate-config --show-hardware-config > hardware-configuration.nix`
    # (it also sets nixpkgs.hostPlatform, the boot loader device and the file systems). Commit it.
    ./hardware-configuration.nix
  ];

  networking.hostName = "REPLACE_ME_HOSTNAME";

  services.openssh = {
    enable = true;
    settings = {
      PasswordAuthentication = false;
      PermitRootLogin = "prohibit-password";
    };
  };
  users.users.root.openssh.authorizedKeys.keys = [ "REPLACE_ME_SSH_PUBLIC_KEY" ];

  # Only SSH is open; clawdbot.nix opens the gateway's port when (and only when) it listens on the LAN.
  networking.firewall.enable = true;

  nix.settings.experimental-features = [
    "nix-command"
    "flakes"
  ];

  # The NixOS release this server was installed with; leave it when you upgrade.
  system.stateVersion = "25.05";
}
