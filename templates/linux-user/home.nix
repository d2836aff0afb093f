# The gateway as a systemd user service on port 8080 of all interfaces, with token authentication, for
# exe.dev's HTTPS proxy (`ssh exe.dev share port <vm> 8080`). Without lingering (`sudo loginctl
# enable-linger $USER`) systemd stops user services when you log out.
{
  gateway,
  username,
  homeDirectory,
  ...
}:
let
  # API keys: a plain file outside the Nix store (chmod 600), read at every start:
  #   ~/.secrets/gateway.env   ANTHROPIC_API_KEY=sk-ant-…
  secrets = "${homeDirectory}/.secrets";
in
{
  home.username = username;
  home.homeDirectory = homeDirectory;
  # The Home Manager release of your first switch (README.md, placeholders); never change it afterwards.
  home.stateVersion = "REPLACE_ME_STATE_VERSION";
  programs.home-manager.enable = true;
  # Home Manager on a non-NixOS distribution (XDG paths, locales).
  targets.genericLinux.enable = true;

  # `gateway` comes from flake.nix: "openclaw" or "clawdbot"; everything below means the same to both.
  services.${gateway} = {
    enable = true;

    # The guide's "Option B": a non-default port on all interfaces, so the proxy can reach it, with token
    # authentication (the default; the gateway refuses a LAN bind without it). The token is generated at the
    # first start into ~/.openclaw/gateway-token (~/.clawdbot/… for Clawdbot; owner-only, never in the Nix
    # store) and kept; `openclaw dashboard --no-open` (`clawdbot …`) prints the Control UI's URL with it. To
    # choose the token yourself, set auth.tokenFile = "${secrets}/gateway-token"; (a file you create, chmod 600).
    port = 8080;
    bind = "lan";
    # For the guide's "Option A" (SSH tunnel, most secure) use bind = "loopback" and run
    # `ssh -N -L 18789:127.0.0.1:8080 <vm>.exe.xyz` on your laptop.

    # The leading "-" makes the file optional: the gateway starts without it.
    environmentFiles = [ "-${secrets}/gateway.env" ];

    # Baked tool binaries (names from the flake's clawdbotTools), e.g. [ "gogcli" ].
    tools = [ ];

    settings = {
      agents.defaults.model = {
        primary = "anthropic/claude-opus-4-5";
        fallbacks = [ "anthropic/claude-sonnet-4-5" ];
      };
      auth.profiles."anthropic:default" = {
        mode = "token";
        provider = "anthropic";
      };
      gateway.mode = "local";
    };
  };
}
