// The disclosure item's content editor (issue 11): django-prose-editor's Tiptap build, served from /static/ by the
// installed package. Its toolbar offers only what disclosure/sanitize.py keeps on save (bold, italic, underline,
// h3/h4, lists, blockquote, link, table); the server's nh3 allow-list stays the guard, this is a convenience.
// Not the package's "configurable" preset: Tiptap's injectCSS would add an inline <style> that the site's CSP
// (style-src 'self') refuses; the same rules come from the package's editor.css instead.
import {
  Blockquote,
  Bold,
  BulletList,
  Document,
  Dropcursor,
  Editor,
  Gapcursor,
  HardBreak,
  Heading,
  History,
  Italic,
  Link,
  ListItem,
  Menu,
  OrderedList,
  Paragraph,
  Table,
  TableCell,
  TableHeader,
  TableRow,
  Text,
  Underline,
  crel,
  initializeEditors,
} from "django-prose-editor/editor"

const MARKER = "data-disclosure-rich-text"

function extensions() {
  return [
    Document,
    Paragraph,
    Text,
    HardBreak,
    Dropcursor,
    Gapcursor,
    History,
    Bold,
    Italic,
    Underline,
    Heading.configure({ levels: [3, 4] }),
    BulletList,
    // No list properties: the numbering style is a `type` attribute, which the sanitizer drops.
    OrderedList.configure({ enableListAttributes: false }),
    ListItem,
    Blockquote,
    Link.configure({ openOnClick: false, protocols: ["http", "https", "mailto"] }),
    Table,
    TableRow,
    TableHeader,
    TableCell,
    Menu.configure({
      groups: [
        { group: "blockType -lists", type: "dropdown", minItems: 2 },
        { group: "lists" },
        { group: "nodes -blockType -lists" },
        { group: "marks" },
        { group: "link" },
        { group: "table" },
        { group: "history" },
      ],
    }),
  ]
}

// The toolbar's tooltips and heading names, which the package writes in English, in Chinese on Chinese pages. The
// menu re-labels its block-type button as the cursor moves, so this runs again after each change.
const ZH_TOOLBAR = {
  paragraph: "段落",
  Paragraph: "段落",
  "heading 3": "三级标题",
  "Heading 3": "三级标题",
  "heading 4": "四级标题",
  "Heading 4": "四级标题",
  "unordered list": "项目符号列表",
  "ordered list": "编号列表",
  "List properties": "列表属性",
  blockquote: "引用",
  bold: "加粗",
  italic: "倾斜",
  underline: "下划线",
  "insert link": "插入链接",
  "remove link": "取消链接",
  "Insert table": "插入表格",
  "Add column": "添加列",
  "Delete column": "删除列",
  "Add row": "添加行",
  "Delete row": "删除行",
  "Merge cells": "合并单元格",
  "Split cell": "拆分单元格",
  "Toggle header cell": "切换标题单元格",
  "Delete table": "删除表格",
  undo: "撤销",
  redo: "重做",
}

function translateToolbar(wrapper) {
  if (!document.documentElement.lang.startsWith("zh")) return
  for (const element of wrapper.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]")) {
    for (const name of ["title", "aria-label"]) {
      const label = ZH_TOOLBAR[element.getAttribute(name)]
      if (label) element.setAttribute(name, label)
    }
  }
  for (const option of wrapper.querySelectorAll(".prose-menubar__option > *")) {
    const label = ZH_TOOLBAR[option.textContent.trim()]
    if (label) option.textContent = label
  }
}

// Pasted HTML (from a web page or a word processor) loses its event-handler attributes before anything parses it:
// parsing them into this page, even into an inert document, makes the CSP refuse each one with a console error (they
// never run). The rest is cut to the editor's schema, and nh3 has the last word on save.
const HANDLER = /([\s"'/])on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi

function withoutHandlers(html) {
  let previous
  do {
    previous = html
    html = html.replace(HANDLER, "$1")
  } while (html !== previous)
  return html
}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null
  const disabled = textarea.hasAttribute("disabled")
  const wrapper = crel("div", { className: `prose-editor${disabled ? " disabled" : ""}` })
  textarea.before(wrapper)
  wrapper.append(textarea)
  // The editable area carries the field's label, so that it is "公开内容" to a screen reader as the textarea was.
  const label = textarea.id && document.querySelector(`label[for="${textarea.id}"]`)
  const attributes = { role: "textbox", "aria-multiline": "true" }
  if (label) attributes["aria-label"] = label.textContent.trim()
  const editor = new Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    editorProps: { attributes, transformPastedHTML: withoutHandlers },
    extensions: extensions(),
    content: textarea.value,
    onUpdate({ editor }) {
      const html = editor.getHTML()
      // An empty editor leaves an empty textarea, so that the form's "请填写公开内容" still shows.
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html
      textarea.dispatchEvent(new Event("input", { bubbles: true }))
    },
    onDestroy() {
      wrapper.before(textarea)
      wrapper.remove()
    },
  })
  editor.on("create", () => translateToolbar(wrapper))
  editor.on("transaction", () => translateToolbar(wrapper))
  return editor
}

initializeEditors(createEditor, `[${MARKER}]`)
