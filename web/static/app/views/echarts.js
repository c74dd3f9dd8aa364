// ECharts (web/vendor, embedded as /vendor/echarts.min.js), for the dashboard and the period report's
// chart: a 1 MB UMD script, loaded on demand, once per page. Draw with the canvas renderer and
// renderMode 'richText' tooltips: the SVG renderer and HTML tooltips would write inline style
// attributes, which the page's CSP forbids.

// The charts' text: the desk's colour and its Chinese-capable font stack.
export const CHART_TEXT = { color: '#3d4a5a', fontFamily: 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif' };

let echartsLoading = null;
export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!echartsLoading) {
    echartsLoading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/vendor/echarts.min.js';
      s.async = true;
      s.addEventListener('load', () => (window.echarts ? resolve(window.echarts) : reject(new Error('ECharts did not load'))));
      s.addEventListener('error', () => {
        echartsLoading = null;
        s.remove();
        reject(new Error('ECharts could not be loaded'));
      });
      document.head.append(s);
    });
  }
  return echartsLoading;
}
