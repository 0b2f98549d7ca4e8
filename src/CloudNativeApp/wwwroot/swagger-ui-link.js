// Injected into Swagger UI (see Web/WebApplicationExtensions.cs): a link back to the web application.
// Swagger UI is served at swagger/index.html, so the page is one level up, relative to wherever the app is hosted.
(() => {
  const addLink = () => {
    if (document.getElementById('back-to-app')) return;
    const bar = document.createElement('nav');
    bar.setAttribute('aria-label', 'Application');
    bar.style.cssText = 'padding:8px 20px;background:#1f5eff;font:14px/1.4 system-ui,sans-serif';
    const link = document.createElement('a');
    link.id = 'back-to-app';
    link.href = '../';
    link.textContent = '← Back to the CloudNativeApp web application';
    link.style.cssText = 'color:#fff;font-weight:600';
    bar.append(link);
    document.body.prepend(bar);
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', addLink);
  } else {
    addLink();
  }
})();
