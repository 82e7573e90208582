// The ledger's 打印 button (no inline script: the CSP allows scripts from this site only).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
