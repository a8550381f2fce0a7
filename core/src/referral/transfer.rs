//! 下转 suggestion.
