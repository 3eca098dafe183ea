/// Collects code lists and categories from a DDI 3.x document, then resolves the category references.
struct DDICodeListBuilder: XMLStreamHandler {
    private struct PendingCategory {
        var id: String?
        var labels: [LocalizedText] = []
        var description: String?
    }

    private var lists: [CodeList] = []
    private var list: CodeList?
    private var codeStack: [ClassificationCode] = []
    private var category: PendingCategory?
    private var categories: [String: PendingCategory] = [:]
    private var labelLanguage: String?
    private var contentLanguage: String?

    mutating func start(_ name: String, path: [String], cursor: XMLCursor) throws -> Bool {
        let parent = path.count > 1 ? path[path.count - 2] : ""
        switch name {
        case "CodeList", "CodeScheme":
            list = CodeList(id: cursor.attribute("id"), agency: cursor.attribute("agency"), version: cursor.attribute("version"))
        case "Code" where list != nil:
            codeStack.append(ClassificationCode(value: "", level: codeStack.count + 1))
        case "Category" where parent != "CategoryReference":
            category = PendingCategory(id: cursor.attribute("id"))
        case "Value" where parent == "Code":
            return true
        case "ID", "Agency", "Version":
            return parent == "CategoryReference" || parent == "Category" || parent == "CodeList"
                || parent == "CodeScheme"
        case "Label" where parent == "Category" || parent == "CodeList" || parent == "CodeScheme":
            labelLanguage = cursor.language
            contentLanguage = nil
            return true
        case "Content":
            if contentLanguage == nil { contentLanguage = cursor.language }
        case "Description" where parent == "Category":
            return category?.description == nil
        default:
            break
        }
        return false
    }

    mutating func end(_ name: String, path: [String], text: String?) throws {
        let parent = path.count > 1 ? path[path.count - 2] : ""
        let value = text
        switch name {
        case "CodeList", "CodeScheme":
            if let list { lists.append(list) }
            list = nil
        case "Code" where !codeStack.isEmpty:
            let code = codeStack.removeLast()
            if codeStack.isEmpty {
                list?.codes.append(code)
            } else {
                codeStack[codeStack.count - 1].children.append(code)
            }
        case "Category" where parent != "CategoryReference":
            if let category, let id = category.id { categories[id] = category }
            category = nil
        case "Value":
            if let value, !codeStack.isEmpty { codeStack[codeStack.count - 1].value = value }
        case "ID":
            guard let value else { return }
            if parent == "CategoryReference", !codeStack.isEmpty {
                codeStack[codeStack.count - 1].categoryID = value
            } else if parent == "Category" {
                category?.id = value
            } else if parent == "CodeList" || parent == "CodeScheme" {
                list?.id = value
            }
        case "Agency" where parent == "CodeList" || parent == "CodeScheme":
            list?.agency = value
        case "Version" where parent == "CodeList" || parent == "CodeScheme":
            list?.version = value
        case "Label":
            guard let value, !value.isEmpty else { return }
            let entry = LocalizedText(value, language: labelLanguage ?? contentLanguage)
            if parent == "Category" {
                category?.labels.append(entry)
            } else if parent == "CodeList" || parent == "CodeScheme" {
                list?.labels.append(entry)
            }
        case "Description" where parent == "Category":
            if let value, !value.isEmpty { category?.description = value }
        default:
            break
        }
    }

    /// The code lists with every code's labels taken from its referenced category.
    func resolved() -> [CodeList] {
        func resolve(_ codes: [ClassificationCode]) -> [ClassificationCode] {
            codes.map { code in
                var code = code
                if let id = code.categoryID, let category = categories[id] {
                    code.labels = category.labels
                    code.description = category.description
                }
                code.children = resolve(code.children)
                return code
            }
        }
        return lists.map { list in
            var list = list
            list.codes = resolve(list.codes)
            return list
        }
    }
}
