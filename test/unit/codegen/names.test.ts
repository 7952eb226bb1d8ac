import { expect } from 'chai'
import { pascalCase, tableTypeNames } from '../../../src/codegen/names.js'

describe('codegen: type names', () => {
  const cases: Array<[string, string]> = [
    ['posts', 'Posts'],
    ['user-profiles', 'UserProfiles'],
    ['order_items', 'OrderItems'],
    ['userProfiles', 'UserProfiles'],
    ['_audit', 'Audit'],
    ['_1x', 'T1x'],
    ['a-b_c', 'ABC'],
  ]
  for (const [table, name] of cases) it(`${table} → ${name}`, () => expect(pascalCase(table)).to.equal(name))

  it('tables whose names collide get numbered variants in code-point order of the table names, whatever order they come in', () => {
    const expected = { 'user-profiles': 'UserProfiles', userProfiles: 'UserProfiles2', user_profiles: 'UserProfiles3' }
    for (const order of [['user_profiles', 'userProfiles', 'user-profiles'], ['user-profiles', 'user_profiles', 'userProfiles']]) {
      const names = tableTypeNames(order)
      expect(names.size).to.equal(3)
      expect(Object.fromEntries([...names].map(([table, n]) => [table, n.record]))).to.deep.equal(expected)
    }
  })

  it('a table never takes a name another table derives (create, update, id) nor a fixed type or a global the file uses', () => {
    const names = tableTypeNames(['posts', 'posts-create', 'posts-id', 'user', 'date', 'record', 'page'])
    expect(names.get('posts')).to.deep.equal({ record: 'Posts', create: 'PostsCreate', update: 'PostsUpdate', id: 'PostsId' })
    expect(names.get('posts-create')?.record).to.equal('PostsCreate2')
    expect(names.get('posts-id')?.record).to.equal('PostsId2')
    expect(names.get('user')?.record).to.equal('User2')
    expect(names.get('date')?.record).to.equal('Date2')
    expect(names.get('record')?.record).to.equal('Record2')
    expect(names.get('page')?.record).to.equal('Page2')
    const all = [...names.values()].flatMap((n) => Object.values(n))
    expect(all).to.have.length(28)
    expect(new Set(all).size).to.equal(all.length)
  })
})
