// Chinese for the strings django-prose-editor's dialogs pass to window.gettext (the package ships no zh catalogue).
// A classic script, so it runs before the editor's modules read window.gettext. English pages keep the originals.
;(() => {
  if (window.gettext || !document.documentElement.lang.startsWith("zh")) return
  const zh = {
    Cancel: "取消",
    Columns: "列数",
    "Edit Link": "编辑链接",
    "Include header row": "包含标题行",
    Insert: "插入",
    "Insert Table": "插入表格",
    No: "否",
    "Open in new window": "在新窗口打开",
    Rows: "行数",
    "Table Properties": "表格属性",
    Title: "标题",
    URL: "网址",
    Update: "更新",
    Yes: "是",
  }
  window.gettext = (text) => zh[text] || text
})()
