# The server itself: reachable over SSH with your key only. Keep it small; the gateway is in gateway.nix.
{ ... }:
{
  imports = [
    # Written by `nixos-generate-config` on the server (file systems, kernel modules, nixpkgs.hostPlatform:
    # x86_64-linux or aarch64-linux). Copy it into this folder and `git add` it: a flake in a git repository
    # sees only the files git tracks.
    ./hardware-configuration.nix
  ];

  # The boot loader. nixos-generate-config writes it into /etc/nixos/configuration.nix, not into
  # hardware-configuration.nix: keep here what that file says.
  # - BIOS boot (Hetzner Cloud x86 servers, most VPSs): GRUB on the disk the server boots from.
  boot.loader.grub.device = "REPLACE_ME_BOOT_DISK";
  # - UEFI boot (Hetzner Cloud Arm servers, a generated file with `systemd-boot`): replace the line above with
  #     boot.loader.systemd-boot.enable = true;
  #     boot.loader.efi.canTouchEfiVariables = true;

  networking.hostName = "REPLACE_ME_HOSTNAME";

  services.openssh = {
    enable = true;
    settings = {
      PasswordAuthentication = false;
      PermitRootLogin = "prohibit-password";
    };
  };
  users.users.root.openssh.authorizedKeys.keys = [ "REPLACE_ME_SSH_PUBLIC_KEY" ];

  # Only SSH is open; gateway.nix opens the gateway's port when (and only when) it listens on the LAN.
  networking.firewall.enable = true;

  nix.settings.experimental-features = [
    "nix-command"
    "flakes"
  ];

  # The NixOS release this server was installed with (the value in the generated configuration.nix); leave
  # it when you upgrade.
  system.stateVersion = "REPLACE_ME_STATE_VERSION";
}
