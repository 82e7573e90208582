// The notice page's 打印 button (no inline script: the site's Content-Security-Policy allows only its own files).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".print-button")) {
    button.addEventListener("click", () => window.print());
  }
});
