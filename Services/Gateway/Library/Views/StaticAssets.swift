/// The portal's stylesheet and its one script, served from `/static/` (the Content-Security-Policy
/// allows only same-origin files, never inline code).
enum StaticAssets {
    /// The stylesheet: sober gov.cz look, blue header, readable type, visible focus, responsive.
    static let stylesheet = """
        :root{--blue:#2362a2;--blue-dark:#1a4a7a;--text:#1b1b1b;--muted:#4a4a4a;--line:#c8ced6;--bg:#f5f7fa;
        --red:#b3261e;--green:#1e6b34;--amber:#8a5300;--focus:#ffbf47}
        *{box-sizing:border-box}
        html{font-size:100%}
        body{margin:0;font-family:Roboto,"Segoe UI",Arial,sans-serif;color:var(--text);background:#fff;line-height:1.5}
        .container{max-width:70rem;margin:0 auto;padding:0 1rem}
        .skip-link{position:absolute;left:-999px;top:0;background:var(--focus);color:#000;padding:.5rem 1rem;z-index:10}
        .skip-link:focus{left:0}
        a{color:var(--blue)}a:hover{color:var(--blue-dark)}
        :focus-visible{outline:3px solid var(--focus);outline-offset:2px}
        .site-header{background:var(--blue);color:#fff}
        .header-row{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:1rem;padding:1rem}
        .brand{color:#fff;text-decoration:none;display:flex;flex-direction:column}
        .brand:hover{color:#fff}.brand-title{font-size:1.4rem;font-weight:700}.brand-subtitle{font-size:.95rem}
        .user-box{display:flex;align-items:center;gap:.75rem;flex-wrap:wrap}
        .site-nav{background:var(--blue-dark)}
        .site-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap}
        .site-nav a{display:block;color:#fff;padding:.75rem 1rem;text-decoration:none}
        .site-nav a:hover,.site-nav a[aria-current=page]{background:#0f3358;text-decoration:underline}
        main{padding-top:1.5rem;padding-bottom:3rem}
        h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1rem}h2{font-size:1.4rem;margin-top:2rem}
        .lead{font-size:1.1rem;max-width:48rem}
        .button{display:inline-block;background:var(--blue);color:#fff;border:2px solid var(--blue);border-radius:4px;
        padding:.6rem 1.2rem;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
        .button:hover{background:var(--blue-dark);color:#fff}
        .button-secondary{background:#fff;color:var(--blue)}.button-secondary:hover{background:var(--bg);color:var(--blue-dark)}
        .button-danger{background:var(--red);border-color:var(--red)}.button-danger:hover{background:#8c1d17}
        .button-light{background:#fff;color:var(--blue);border-color:#fff;padding:.35rem .8rem}
        .actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
        .inline-form{display:inline}
        .key-list{list-style:none;padding:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr))}
        .key-card{border:1px solid var(--line);border-radius:6px;padding:1rem;background:var(--bg)}
        .key-name{display:flex;align-items:center;gap:.5rem}.key-name h3{margin:0;font-size:1.2rem;overflow-wrap:anywhere}
        .icon-link{display:inline-flex;padding:.4rem;border-radius:4px}
        .key-facts div{display:flex;gap:.5rem;flex-wrap:wrap}.key-facts dt{font-weight:600}.key-facts dd{margin:0}
        .message{border-left:6px solid var(--blue);background:#eef4fb;padding:.75rem 1rem;margin:1rem 0}
        .message p{margin:.25rem 0}.message h2{margin:.25rem 0;font-size:1.2rem}
        .message-success{border-color:var(--green);background:#e9f5ec}
        .message-warning{border-color:var(--amber);background:#fff4e0}
        .message-error{border-color:var(--red);background:#fdecea}
        .form .field{margin:1rem 0;max-width:32rem}
        label{display:block;font-weight:600;margin-bottom:.25rem}
        input[type=text],input[type=email],input[type=tel]{width:100%;padding:.6rem;font:inherit;border:2px solid #5a6270;
        border-radius:4px}
        input[type=checkbox]{width:1.4rem;height:1.4rem;accent-color:var(--blue)}
        .checkbox-field{display:flex;gap:.5rem;align-items:flex-start}.checkbox-field label{font-weight:400}
        .hint{color:var(--muted);font-size:.95rem;margin:.25rem 0}
        .table-wrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%;margin:1rem 0}
        caption{text-align:left;font-weight:600;padding:.5rem 0}
        th,td{border-bottom:1px solid var(--line);padding:.6rem;text-align:left;vertical-align:top}
        .grid td{text-align:center}.grid thead th{background:var(--bg)}
        .grid .group th{background:#e4ebf3}.na{color:var(--muted)}
        .address{font-weight:400;color:var(--muted);overflow-wrap:anywhere}
        .visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        .pairing{display:flex;flex-wrap:wrap;align-items:center;gap:2rem}
        .activation-code{font-family:"Roboto Mono",Consolas,monospace;font-size:2.2rem;letter-spacing:.2rem;font-weight:700;
        background:var(--bg);border:2px dashed var(--blue);padding:.75rem 1.25rem;display:inline-block}
        .qr svg{max-width:100%;height:auto}.qr figcaption{font-size:.9rem;color:var(--muted)}
        .plain-list{list-style:none;padding:0}.plain-list li{margin:.5rem 0}
        .site-footer{border-top:1px solid var(--line);background:var(--bg);color:var(--muted);font-size:.9rem}
        .legend dt{font-weight:600;margin-top:.5rem}.legend dd{margin-left:0}
        @media (max-width:40rem){h1{font-size:1.6rem}.activation-code{font-size:1.6rem}.grid th,.grid td{padding:.4rem}}
        """

    /// Progressive enhancement: the pairing page notices the completed pairing without reloads.
    static let script = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          var box = document.getElementById("pairing-status");
          if (!box || !window.fetch) { return; }
          var id = box.getAttribute("data-pairing-id");
          var poll = function () {
            fetch("/api/v1/pairings/" + encodeURIComponent(id), { credentials: "same-origin" })
              .then(function (response) { return response.ok ? response.json() : null; })
              .then(function (pairing) {
                if (pairing && pairing.state !== "PENDING") {
                  window.location.assign("/pripojeni/" + encodeURIComponent(id));
                } else {
                  window.setTimeout(poll, 2000);
                }
              })
              .catch(function () { window.setTimeout(poll, 5000); });
          };
          window.setTimeout(poll, 2000);
        });
        """
}
